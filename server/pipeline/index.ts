// The five stages' steps, in workflow order; each lives in its stage's folder with its helpers.
export { runScriptStep } from "./script/step.ts";
export { runNarrationStep } from "./narration/step.ts";
export { runVisualStep } from "./visuals/step.ts";
export { runTimelineStep } from "./timeline/step.ts";
export { runRenderStep } from "./render/step.ts";
