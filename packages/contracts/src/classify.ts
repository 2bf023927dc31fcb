// What the API says about the message classifier, shared by the server and the console.

/** How one model version does in daily work (GET /api/classify/live). */
export interface LiveFigures {
  version: string;
  /** cases it suggested or dispatched */
  cases: number;
  auto: {
    total: number;
    /** still with the department it chose */
    kept: number;
    /** a person dispatched them elsewhere */
    moved: number;
    /** returned by the department, not dispatched again yet */
    returned: number;
    /** kept ÷ (kept + moved + returned); null without any */
    precision: number | null;
  };
  suggested: {
    total: number;
    /** the dispatcher chose the first topic's department */
    top1: number;
    /** … the second or third topic's */
    top3: number;
    /** … another department */
    other: number;
    /** not dispatched yet (or closed without dispatch: rejected, merged) */
    undecided: number;
    /** top1 ÷ decided, (top1 + top3) ÷ decided; null without any decided */
    top1Rate: number | null;
    top3Rate: number | null;
  };
}
