// The little of opentype.js (2.x ships no types) that the font check uses.
declare module "opentype.js" {
  export type Font = {
    numGlyphs: number;
    getEnglishName(name: "fontFamily" | "fullName" | "fontSubfamily"): string | undefined;
  };
  const opentype: { parse(buffer: ArrayBuffer): Font };
  export default opentype;
}
