import { z } from "zod";

export const sceneRoles = ["hook", "body", "close"] as const;

export const scriptSceneSchema = z.object({
  id: z.string(),
  role: z.enum(sceneRoles),
  title: z.string().min(1).max(120),
  narration: z.string().min(1).max(2000),
  visualPrompt: z.string().min(1).max(500),
  keywords: z.array(z.string()).max(12),
});

export const scriptSchema = z.object({
  title: z.string().min(1).max(120),
  scenes: z.array(scriptSceneSchema).min(3).max(16),
  writer: z.string(),
});

export type Script = z.infer<typeof scriptSchema>;
export type ScriptScene = z.infer<typeof scriptSceneSchema>;
