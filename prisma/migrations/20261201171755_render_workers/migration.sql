-- CreateTable
CREATE TABLE "RenderWorker" (
    "url" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "lastContactAt" TIMESTAMP(3),
    "error" TEXT,
    "health" JSONB,

    CONSTRAINT "RenderWorker_pkey" PRIMARY KEY ("url")
);
