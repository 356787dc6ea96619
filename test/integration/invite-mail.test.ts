// Invitations are e-mailed through SMTP when it is set up: a local SMTP server (smtp-server)
// receives the message with the invitation link; when the server refuses, the invitation is
// still made and the error says to copy the link.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

const messages: { to: string[]; raw: string }[] = [];
let refuse = false;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onRcptTo(_address, _session, callback) {
    callback(refuse ? Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }) : undefined);
  },
  onData(stream, session, callback) {
    let raw = "";
    stream.on("data", (c) => (raw += c));
    stream.on("end", () => {
      messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
      callback();
    });
  },
});
await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
setTestEnv({
  SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
  SMTP_FROM: "Aura <aura@example.test>",
  PUBLIC_URL: "https://aura.example.test",
});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const db = getDb();
const as = await callerFactory(db);

after(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await db.$disconnect();
  await database.drop();
});

test("an invitation is e-mailed with its link; a refused address is reported and the link still works", async () => {
  const { userId, workspaceId } = await createOwner(db, "mailer");
  const caller = as(userId, workspaceId);
  const sent = await caller.workspaces.invite({ email: "friend@example.test", role: "editor" });
  assert.deepEqual([sent.emailed, sent.emailError], [true, null]);
  assert.equal(messages.length, 1);
  assert.deepEqual(messages[0]!.to, ["friend@example.test"]);
  const raw = messages[0]!.raw.replace(/=\r\n/g, "");
  assert.match(raw, /Subject: You are invited to mailer on Aura/);
  assert.ok(raw.includes(`https://aura.example.test/invite/${sent.token}`), "the mail holds the link");

  refuse = true;
  const refused = await caller.workspaces.invite({ email: "nobody@example.test", role: "viewer" });
  assert.equal(refused.emailed, false);
  assert.match(refused.emailError!, /could not be sent .*550.*copy the link instead/);
  assert.equal(await db.invitation.count({ where: { email: "nobody@example.test", revokedAt: null } }), 1, "the invitation exists anyway");
});
