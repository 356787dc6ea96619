// The little of opentype.js (2.x ships no types) that the font check uses. Its ES module build
// (what the Next.js bundler loads) exports `parse`; its CommonJS build (what Node loads) exports
// an object, seen as the default export.
declare module "opentype.js" {
  export type Font = {
    numGlyphs: number;
    getEnglishName(name: "fontFamily" | "fullName" | "fontSubfamily"): string | undefined;
  };
  export function parse(buffer: ArrayBuffer): Font;
  const opentype: { parse(buffer: ArrayBuffer): Font } | undefined;
  export default opentype;
}
