-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "qualityReport" JSONB;
