export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };
export type ChatRequest = { messages: ChatMessage[]; json: boolean; temperature?: number };
