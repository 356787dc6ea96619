// Pictures for upload tests that are only a header: a PNG signature and an IHDR chunk claiming
// any size, such as 60000×60000 (a decompression bomb) or 100×100 (too small for a provider).

export function pngHeader(width: number, height: number) {
  const png = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write("IHDR", 12, "ascii");
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}
