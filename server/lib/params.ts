/** For filters from forms and query strings: an empty field means "not set". */
export const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
