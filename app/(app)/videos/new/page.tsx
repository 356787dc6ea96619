import { BriefForm } from "./brief-form";

export default function NewVideoPage() {
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="mb-1 text-2xl font-bold tracking-tight">New video</h1>
      <p className="mb-6 text-slate-600">Write a brief. Aura writes the script, narrates it, makes a visual per scene and renders an MP4.</p>
      <BriefForm />
    </div>
  );
}
