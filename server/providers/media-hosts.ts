// Stock providers answer a search with links to their media files. Such a link is followed only
// when its host is one the server allows for that provider (a setting such as
// PEXELS_IMAGE_HOSTS) or the API's own configured host, so an answer can never send Aura to an
// address of its choosing.
import { getEnv } from "../env.ts";

export type MediaHostSetting = "PEXELS_IMAGE_HOSTS" | "PEXELS_VIDEO_HOSTS" | "PIXABAY_VIDEO_HOSTS";

export type MediaHosts = {
  /** The setting that lists the hosts, for messages. */
  setting: MediaHostSetting;
  allows(url: string): boolean;
  /** The host (and port) a link names, for messages; "an unreadable link" when it is none. */
  hostOf(url: string): string;
};

function parse(raw: string) {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

export function mediaHosts(setting: MediaHostSetting, apiBaseUrl: string): MediaHosts {
  const hosts = getEnv()
    [setting].split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const api = parse(apiBaseUrl);
  if (api) hosts.push(api.host.toLowerCase());
  return {
    setting,
    allows(raw) {
      const url = parse(raw);
      return !!url && (url.protocol === "https:" || url.protocol === "http:") && hosts.includes(url.host.toLowerCase());
    },
    hostOf: (raw) => parse(raw)?.host.toLowerCase() || "an unreadable link",
  };
}
