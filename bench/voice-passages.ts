// Fixed plain English passages that the voices bench reads aloud and recognises again, and that
// the alignment test aligns: about 56 words each, everyday words, no numbers or names.
export const VOICE_PASSAGES = [
  "The small town sits beside a quiet river that winds through green fields and low hills. Every morning the baker opens his shop before the sun rises, and the smell of fresh bread fills the street. Children walk to school along the water, and older people sit on benches to watch the boats drift slowly past.",
  "Learning a new skill takes patience and steady practice. At first every step feels slow and clumsy, but small gains add up over weeks and months. It helps to set a clear goal, to rest when you are tired, and to ask for advice from people who have walked the same road before you.",
  "Clean water is one of the most important things a city can give its people. Pipes carry it from lakes and wells to every home, and plants remove dirt and germs along the way. When the system works well nobody notices it, yet a single broken pump can leave thousands of families without a drink.",
] as const;
