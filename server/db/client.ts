// The Prisma client, one per process, over the pg driver adapter.
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "../env.ts";
import { PrismaClient } from "./generated/client.ts";

// Connections per process. The pg driver's default is 10; the web process serves hundreds of
// requests at once (a thousand progress streams connecting, the library list at 200 at a
// time), and PostgreSQL's default allows 100 connections for all of Aura's processes.
const POOL_SIZE = 20;

const globalForPrisma = globalThis as unknown as { auraPrisma?: PrismaClient };

export function createPrismaClient(url: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: POOL_SIZE }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.auraPrisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.auraPrisma;
}

export type Db = PrismaClient;
export * from "./generated/client.ts";
