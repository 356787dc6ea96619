// Where the visuals stage stores what it makes.

/** Where a clip's thumbnail is stored: beside it. */
export const thumbKeyOf = (clipKey: string) => clipKey.replace(/\.[A-Za-z0-9]+$/, "-thumb.jpg");
