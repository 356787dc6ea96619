-- CreateEnum
CREATE TYPE "LogoUse" AS ENUM ('watermark', 'intro');

-- CreateTable
CREATE TABLE "BrandKit" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "logoItemId" TEXT,
    "logoUse" "LogoUse" NOT NULL DEFAULT 'watermark',
    "logoPosition" TEXT NOT NULL DEFAULT 'bottom-right',
    "logoOpacity" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "primaryColor" TEXT NOT NULL DEFAULT '#1E3A8A',
    "backgroundColor" TEXT NOT NULL DEFAULT '#0F172A',
    "accentColor" TEXT NOT NULL DEFAULT '#38BDF8',
    "captionColor" TEXT NOT NULL DEFAULT '#FFFFFF',
    "captionHighlightColor" TEXT NOT NULL DEFAULT '#FFD23F',
    "fontKey" TEXT,
    "fontFamily" TEXT,
    "fontFileName" TEXT,
    "introItemId" TEXT,
    "outroItemId" TEXT,
    "musicItemId" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrandKit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BrandKit_workspaceId_key" ON "BrandKit"("workspaceId");

-- AddForeignKey
ALTER TABLE "BrandKit" ADD CONSTRAINT "BrandKit_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandKit" ADD CONSTRAINT "BrandKit_logoItemId_fkey" FOREIGN KEY ("logoItemId") REFERENCES "MediaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandKit" ADD CONSTRAINT "BrandKit_introItemId_fkey" FOREIGN KEY ("introItemId") REFERENCES "MediaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandKit" ADD CONSTRAINT "BrandKit_outroItemId_fkey" FOREIGN KEY ("outroItemId") REFERENCES "MediaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandKit" ADD CONSTRAINT "BrandKit_musicItemId_fkey" FOREIGN KEY ("musicItemId") REFERENCES "MediaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;
