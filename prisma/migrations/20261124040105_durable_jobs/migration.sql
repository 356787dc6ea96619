-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JobStatus" ADD VALUE 'waiting';
ALTER TYPE "JobStatus" ADD VALUE 'expired';

-- AlterEnum
ALTER TYPE "StepStatus" ADD VALUE 'pending' BEFORE 'running';
ALTER TYPE "StepStatus" ADD VALUE 'waiting';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "VideoStatus" ADD VALUE 'review';
ALTER TYPE "VideoStatus" ADD VALUE 'expired';

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "waitUntil" TIMESTAMP(3),
ADD COLUMN     "waitingFor" TEXT;

-- AlterTable
ALTER TABLE "JobStep" ADD COLUMN     "waitEvent" TEXT,
ADD COLUMN     "waitUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "JobStepAttempt" (
    "id" TEXT NOT NULL,
    "jobStepId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "StepStatus" NOT NULL,
    "provider" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "JobStepAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobStepAttempt_jobId_idx" ON "JobStepAttempt"("jobId");

-- CreateIndex
CREATE INDEX "JobStepAttempt_stage_status_idx" ON "JobStepAttempt"("stage", "status");

-- CreateIndex
CREATE INDEX "JobStep_status_waitUntil_idx" ON "JobStep"("status", "waitUntil");

-- AddForeignKey
ALTER TABLE "JobStepAttempt" ADD CONSTRAINT "JobStepAttempt_jobStepId_fkey" FOREIGN KEY ("jobStepId") REFERENCES "JobStep"("id") ON DELETE CASCADE ON UPDATE CASCADE;
