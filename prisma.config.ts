// Prisma CLI configuration. DATABASE_URL is read from the environment with a default,
// because prisma/config's env() throws when it is unset (generate needs no database).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/aura",
  },
});
