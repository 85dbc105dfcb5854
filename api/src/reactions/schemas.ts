import { z } from 'zod';

/** The small set of reactions; anything else is VALIDATION_FAILED. */
export const REACTION_EMOJIS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;
export const ZReactionSend = z.object({ emoji: z.enum(REACTION_EMOJIS) }).strict();
export type TReactionSend = z.infer<typeof ZReactionSend>;

/** Ephemeral: broadcast, never stored. */
export interface TReaction {
  identity: string;
  name: string;
  emoji: (typeof REACTION_EMOJIS)[number];
  /** Server epoch ms. */
  at: number;
}
