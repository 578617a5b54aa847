/** A failure to bring the mesh up that a user can act on; printed as one line, never a stack. */
export class MeshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeshError';
  }
}
