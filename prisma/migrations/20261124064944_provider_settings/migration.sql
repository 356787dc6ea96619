-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "offlineMode" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scriptInstructions" TEXT;

-- CreateTable
CREATE TABLE "ProviderSetting" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "capability" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "model" TEXT,
    "voice" TEXT,
    "baseUrl" TEXT,
    "keyCiphertext" TEXT,
    "keyLast4" TEXT,
    "healthStatus" TEXT,
    "healthCheckedAt" TIMESTAMP(3),
    "healthLatencyMs" INTEGER,
    "healthError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderSetting_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderSetting_workspaceId_capability_provider_key" ON "ProviderSetting"("workspaceId", "capability", "provider");

-- AddForeignKey
ALTER TABLE "ProviderSetting" ADD CONSTRAINT "ProviderSetting_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
