// The Prisma client, one per process, over the pg driver adapter.
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "../env.ts";
import { PrismaClient } from "./generated/client.ts";

const globalForPrisma = globalThis as unknown as { auraPrisma?: PrismaClient };

export function createPrismaClient(url: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.auraPrisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.auraPrisma;
}

export type Db = PrismaClient;
export * from "./generated/client.ts";
