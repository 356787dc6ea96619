-- CreateTable
CREATE TABLE "RenderUsage" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "videoId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "renderId" TEXT NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RenderUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RenderUsage_renderId_key" ON "RenderUsage"("renderId");

-- CreateIndex
CREATE INDEX "RenderUsage_workspaceId_createdAt_idx" ON "RenderUsage"("workspaceId", "createdAt");

-- AddForeignKey
ALTER TABLE "RenderUsage" ADD CONSTRAINT "RenderUsage_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
