-- AlterTable
ALTER TABLE "Recording" ADD COLUMN     "durationSeconds" DOUBLE PRECISION,
ADD COLUMN     "egressId" TEXT,
ADD COLUMN     "ownerInstance" TEXT,
ADD COLUMN     "participants" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "recorder" TEXT NOT NULL DEFAULT 'embedded';

-- CreateIndex
CREATE UNIQUE INDEX "Recording_egressId_key" ON "Recording"("egressId");

-- CreateIndex
CREATE INDEX "Recording_startedAt_idx" ON "Recording"("startedAt");
