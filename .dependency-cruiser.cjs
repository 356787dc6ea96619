// The import rules that keep Aura's layers apart (docs/architecture.md explains them).
// `npm run lint:imports` checks them; scripts/test.sh runs it, so CI fails on a breach.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle makes a module's meaning depend on load order. Move the shared piece down into a module both can import.",
      from: {},
      to: { circular: true },
    },
    {
      name: "worker-imports-no-app-code",
      severity: "error",
      comment: "The render worker is its own package and image: it shares only the render contract with the app.",
      from: { path: "^render-worker/" },
      to: { path: "^(app|server|scripts|test|e2e|bench)/" },
    },
    {
      name: "contract-imports-nothing-of-ours",
      severity: "error",
      comment: "The render contract is read by the app and the worker alike, so it depends on neither.",
      from: { path: "^packages/render-contract/" },
      to: { path: "^(app|server|render-worker|scripts)/" },
    },
    {
      name: "app-reaches-worker-only-through-contract",
      severity: "error",
      comment: "Outside render-worker/, the render contract comes from @aura/render-contract, never from render-worker/src.",
      from: { pathNot: "^render-worker/" },
      to: { path: "^render-worker/src/" },
    },
    {
      name: "providers-import-no-stage-code",
      severity: "error",
      comment: "providers/ only talks to providers; choosing a provider for a stage lives in pipeline/.",
      from: { path: "^server/providers/" },
      to: { path: "^server/(pipeline|workflow)/" },
    },
    {
      name: "stages-import-no-engine",
      severity: "error",
      comment: "Stages are plain functions; the engines (built-in or Inngest) run them and map their errors.",
      from: { path: "^server/pipeline/" },
      to: { path: "^(server/workflow/(engine|inngest)/|node_modules/(inngest|pg-boss)/)" },
    },
    {
      name: "db-imports-nothing-above-it",
      severity: "error",
      comment: "server/db is the bottom floor: the Prisma client, migrations and the embedded PostgreSQL.",
      from: { path: "^server/db/" },
      to: { path: "^(app|server/(?!db/)|render-worker|packages)/" },
    },
    {
      name: "pages-and-routes-do-not-query-the-database",
      severity: "error",
      comment: "Pages and route handlers call services (server/*), which scope every query by workspace.",
      from: { path: "^app/" },
      to: { path: "^server/db/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.next|\\.data|node_modules|server/db/generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
