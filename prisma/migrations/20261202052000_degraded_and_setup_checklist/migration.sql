-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "setupDismissedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "degraded" JSONB;
