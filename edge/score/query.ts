/**
 * @module
 * The `/score` input, as the score contract defines it (edge/contracts/score.ts):
 * re-exported here for the score engine's own modules.
 */
export {
  MAX_TOPIC_LENGTH,
  normaliseTopic,
  type ScoreQuery,
  scoreQuerySchema,
} from '../contracts/score.ts'
