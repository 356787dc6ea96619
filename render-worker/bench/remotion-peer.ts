// The bench's second peer: the same stills video rendered by Remotion, the renderer of
// short-video-maker and of Remotion's prompt-to-video template (React drawn by Chromium, a
// screenshot per frame, encoded by Remotion's own FFmpeg). Same scenes, timings, Ken Burns
// motion, 0.5 s crossfades, captions and narrations as Aura's render, the same libx264 preset
// and CRF, as many frames at once as Aura runs FFmpeg processes; no titles, no music, no
// loudness pass (as the one-graph baseline). Remotion is not one of Aura's dependencies: the
// bench installs it on first use into .bench-peers/remotion (npm, pinned below) and drives
// Debian's Chromium (no browser download). The React project is written here at run time and
// bundled once, before any measured run, as a service that renders on demand bundles once.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { captionFontSize, captionMarginH, computeTiming, type RenderSpec } from "@aura/render-contract";
import { captionMarginV } from "../src/captions.ts";

export const REMOTION_VERSION = "4.0.529";
export const PEER_DIR = path.resolve(import.meta.dirname, "../../.bench-peers/remotion");
/** Debian's Chromium (the project's setup installs it for Playwright). */
export const CHROMIUM = process.env.BENCH_CHROMIUM ?? "/usr/bin/chromium";

/** Remotion's packages from the peer folder (CommonJS), loaded without being Aura's dependency. */
export function remotionModule<T>(name: "@remotion/renderer" | "@remotion/bundler"): T {
  return createRequire(path.join(PEER_DIR, "package.json"))(name) as T;
}

/** Installs Remotion into the peer folder unless it is there; throws when it cannot be. */
export function ensureRemotion() {
  if (existsSync(path.join(PEER_DIR, "node_modules/@remotion/renderer/package.json"))) return;
  mkdirSync(PEER_DIR, { recursive: true });
  writeFileSync(path.join(PEER_DIR, "package.json"), `${JSON.stringify({ private: true }, null, 2)}\n`);
  const packages = ["remotion", "@remotion/renderer", "@remotion/bundler"].map((p) => `${p}@${REMOTION_VERSION}`);
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packages, "react@19.2.0", "react-dom@19.2.0"], {
    cwd: PEER_DIR,
    stdio: "inherit",
  });
  if (install.status !== 0) throw new Error(`installing Remotion ${REMOTION_VERSION} into ${PEER_DIR} failed (npm exited ${install.status})`);
}

export type RemotionProps = {
  width: number;
  height: number;
  fps: number;
  durationInFrames: number;
  transitionFrames: number;
  scenes: { image: string; from: number; frames: number; kind: string; strength: number; narration: string | null; narrationFrom: number }[];
  cues: { from: number; to: number; text: string }[];
  caption: { fontSize: number; marginV: number; marginH: number; outline: number };
};

/** The composition's input for a stills spec whose files are under `publicDir` (their names alone). */
export function remotionProps(spec: RenderSpec): RemotionProps {
  const timing = computeTiming(spec);
  const { width, height, fps } = spec;
  const fontSize = captionFontSize(width, height, spec.captions.style.size, false);
  return {
    width,
    height,
    fps,
    durationInFrames: timing.totalFrames,
    transitionFrames: timing.transitionFrames,
    scenes: spec.scenes.map((scene, i) => ({
      image: path.basename(scene.image!),
      from: timing.scenes[i]!.startFrame,
      frames: timing.scenes[i]!.frames,
      kind: scene.motion.kind,
      strength: scene.motion.strength,
      narration: scene.narration ? path.basename(scene.narration) : null,
      narrationFrom: Math.round((timing.scenes[i]!.startSec + scene.narrationOffset) * fps),
    })),
    cues: spec.captions.cues.map((cue) => ({ from: Math.round(cue.start * fps), to: Math.round(cue.end * fps), text: cue.text })),
    caption: { fontSize, marginV: captionMarginV(width, height), marginH: captionMarginH(width), outline: Math.max(2, Math.round(fontSize / 14)) },
  };
}

/** The React project: each still covers the frame and moves as Aura's motions do (zoom in or
 *  out, or a pan of the zoomed picture), fading in over the one before it; each caption as
 *  bold white text with a dark outline at the bottom; each narration at its offset. */
const PROJECT = `import React from "react";
import { AbsoluteFill, Audio, Composition, Img, Sequence, interpolate, registerRoot, staticFile, useCurrentFrame } from "remotion";

const Still = ({ scene, first, transitionFrames }) => {
  const frame = useCurrentFrame();
  const p = Math.min(1, frame / Math.max(1, scene.frames - 1));
  const s = scene.strength;
  let scale = 1 + s;
  let x = 0;
  if (scene.kind === "zoom-in") scale = 1 + s * p;
  else if (scene.kind === "zoom-out") scale = 1 + s * (1 - p);
  else x = (scene.kind === "pan-right" ? -1 : 1) * (p - 0.5) * (s / (1 + s)) * 100;
  const opacity = first ? 1 : interpolate(frame, [0, transitionFrames], [0, 1], { extrapolateRight: "clamp" });
  return (
    <AbsoluteFill style={{ opacity, overflow: "hidden" }}>
      <Img src={staticFile(scene.image)} style={{ width: "100%", height: "100%", objectFit: "cover", transform: \`scale(\${scale}) translateX(\${x}%)\` }} />
    </AbsoluteFill>
  );
};

const Caption = ({ text, caption }) => (
  <AbsoluteFill style={{ justifyContent: "flex-end", alignItems: "center", paddingBottom: caption.marginV, paddingLeft: caption.marginH, paddingRight: caption.marginH }}>
    <div style={{ fontFamily: "Noto Sans", fontWeight: 700, fontSize: caption.fontSize, lineHeight: 1.2, color: "white", textAlign: "center",
      WebkitTextStroke: \`\${caption.outline * 2}px #101010\`, paintOrder: "stroke fill", textShadow: "2px 2px 0 rgba(0,0,0,0.5)" }}>{text}</div>
  </AbsoluteFill>
);

const Video = (props) => (
  <AbsoluteFill style={{ backgroundColor: "black" }}>
    {props.scenes.map((scene, i) => (
      <Sequence key={"s" + i} from={scene.from} durationInFrames={scene.frames}>
        <Still scene={scene} first={i === 0} transitionFrames={props.transitionFrames} />
      </Sequence>
    ))}
    {props.cues.map((cue, i) => (
      <Sequence key={"c" + i} from={cue.from} durationInFrames={Math.max(1, cue.to - cue.from)}>
        <Caption text={cue.text} caption={props.caption} />
      </Sequence>
    ))}
    {props.scenes.filter((scene) => scene.narration).map((scene, i) => (
      <Sequence key={"n" + i} from={scene.narrationFrom}>
        <Audio src={staticFile(scene.narration)} />
      </Sequence>
    ))}
  </AbsoluteFill>
);

const Root = () => (
  <Composition id="Bench" component={Video} durationInFrames={1} fps={30} width={1920} height={1080} defaultProps={{}}
    calculateMetadata={({ props }) => ({ durationInFrames: props.durationInFrames, fps: props.fps, width: props.width, height: props.height })} />
);

registerRoot(Root);
`;

/** Writes the project and bundles it with Remotion's bundler (webpack): the bundle's folder,
 *  which every measured render reads. `publicDir`: where the stills and narrations are. */
export async function bundleRemotion(publicDir: string) {
  const project = path.join(PEER_DIR, "project");
  mkdirSync(project, { recursive: true });
  const entryPoint = path.join(project, "index.jsx");
  writeFileSync(entryPoint, PROJECT);
  const { bundle } = remotionModule<{ bundle: (o: { entryPoint: string; publicDir: string }) => Promise<string> }>("@remotion/bundler");
  return bundle({ entryPoint, publicDir });
}
