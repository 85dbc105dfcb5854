-- CreateTable
CREATE TABLE "QualitySample" (
    "id" BIGSERIAL NOT NULL,
    "roomSlug" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "quality" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QualitySample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QualitySample_roomSlug_identity_createdAt_idx" ON "QualitySample"("roomSlug", "identity", "createdAt");
