-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "aiSpendLimitUsd" DECIMAL(10,2);

-- CreateTable
CREATE TABLE "PaidGeneration" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "jobId" TEXT,
    "videoId" TEXT,
    "shotKey" TEXT,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "units" DOUBLE PRECISION NOT NULL,
    "costUsd" DECIMAL(10,4) NOT NULL,
    "remoteId" TEXT,
    "prompt" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'reserved',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PaidGeneration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PaidGeneration_workspaceId_createdAt_idx" ON "PaidGeneration"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "PaidGeneration_jobId_status_idx" ON "PaidGeneration"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PaidGeneration_provider_remoteId_key" ON "PaidGeneration"("provider", "remoteId");

-- AddForeignKey
ALTER TABLE "PaidGeneration" ADD CONSTRAINT "PaidGeneration_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
