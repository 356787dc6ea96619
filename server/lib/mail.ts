// Outgoing e-mail (invitations), through nodemailer when SMTP_URL is set. Without it nothing
// is sent and the caller shows the link to copy instead.
import nodemailer from "nodemailer";
import { getEnv } from "../env.ts";

export const mailConfigured = () => Boolean(getEnv().SMTP_URL);

let transport: nodemailer.Transporter | undefined;

export async function sendMail(message: { to: string; subject: string; text: string }) {
  const env = getEnv();
  if (!env.SMTP_URL) throw new Error("SMTP_URL is not set");
  transport ??= nodemailer.createTransport(env.SMTP_URL, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  await transport.sendMail({ from: env.SMTP_FROM, ...message });
}
