-- CreateTable
CREATE TABLE "ShotClaim" (
    "videoId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "shotKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShotClaim_pkey" PRIMARY KEY ("videoId","sourceId")
);

-- CreateIndex
CREATE INDEX "ShotClaim_videoId_shotKey_idx" ON "ShotClaim"("videoId", "shotKey");

-- AddForeignKey
ALTER TABLE "ShotClaim" ADD CONSTRAINT "ShotClaim_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;
