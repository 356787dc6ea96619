import bcrypt from "bcryptjs";

const COST = 11;

// The hash of a random password nobody knows, made with COST. Checking against it
// when there is no account (or it has no password) costs what a wrong password costs, so the
// time of the answer does not tell whether an email has an account (test/integration/accounts.test.ts
// checks that its cost is a real hash's).
const NO_PASSWORD_HASH = "$2b$11$RiYfjg.pv0hoZgXznGQsG.UwSG5JM5me.Vw/7f/i9rRHK5.0NQXaW";

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

/** Always one bcrypt comparison: without a hash, against one no password matches. */
export async function verifyPassword(password: string, hash: string | null | undefined) {
  const matches = await bcrypt.compare(password, hash || NO_PASSWORD_HASH);
  return matches && Boolean(hash);
}
