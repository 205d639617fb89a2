// Errors of the grader carry a stable code (for logs and the API) and a sentence for people.
export class GraderError extends Error {
  constructor(
    readonly code: 'NODE_NOT_FOUND' | 'NODE_NOT_RUNNING' | 'GRADER_UNAVAILABLE' | 'QUESTION_UNKNOWN' | 'LAB_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'GraderError';
  }
}
