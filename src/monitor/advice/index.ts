/** Advice from the data: every recommendation the runs and the analytics support, each with its evidence. */
export { defaultRecommendationDays, recommend, type Recommendation, type RecommendationKind, shortListLength } from './recommend.js';
