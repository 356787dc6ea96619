-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "quotaConcurrentJobs" INTEGER,
ADD COLUMN     "quotaMaxLengthSec" INTEGER,
ADD COLUMN     "quotaMinutesPerMonth" INTEGER,
ADD COLUMN     "quotaVideosPerDay" INTEGER;
