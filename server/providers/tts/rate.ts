// The speaking rate every voice calls normal: rate 1 is about this many words a minute.
// The narration stage paces scripts by it; voices scale their own speed by rate.
export const NORMAL_WPM = 165;
