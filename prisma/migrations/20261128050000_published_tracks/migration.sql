-- CreateTable
CREATE TABLE "PublishedTrack" (
    "sid" TEXT NOT NULL,
    "meetingId" UUID NOT NULL,
    "livekitParticipantSid" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "unpublishedAt" TIMESTAMP(3),

    CONSTRAINT "PublishedTrack_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE INDEX "PublishedTrack_meetingId_unpublishedAt_idx" ON "PublishedTrack"("meetingId", "unpublishedAt");

-- AddForeignKey
ALTER TABLE "PublishedTrack" ADD CONSTRAINT "PublishedTrack_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;
