import type { IncomingMessage, ServerResponse } from 'node:http'

const EXPECTS_CONTINUE = Symbol('strangler.expectsContinue')

interface Expecting {
  [EXPECTS_CONTINUE]?: true
}

/**
 * The http server's `checkContinue` listener. Node would answer
 * `100 Continue` to every `Expect: 100-continue` before the proxy sees the
 * request; instead the request is marked and handed on, and the proxy sends
 * `100 Continue` only once it is about to read the body (continueIfExpected).
 * A request refused first (a body declared over limits.requestBody, a bad
 * path) gets its final answer at once, without a 100, and Node closes the
 * connection after it (the body was never sent).
 */
export function checkContinue (handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return function onCheckContinue (req: IncomingMessage, res: ServerResponse): void {
    (req as Expecting)[EXPECTS_CONTINUE] = true
    handler(req, res)
  }
}

/** Send `100 Continue` when the client waits for it (only read when a body is forwarded). */
export function continueIfExpected (req: IncomingMessage, res: ServerResponse): void {
  if ((req as Expecting)[EXPECTS_CONTINUE] === true) res.writeContinue()
}
