// The same label data for both libraries.
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const ROUTES = ['/', '/users', '/users/:id', '/orders', '/orders/:id'];
const STATUSES = ['200', '404', '500'];

/** 60 label objects of 3 labels, built once and cycled through by every contender. */
export const LABEL_SETS: readonly { method: string; route: string; status: string }[] = METHODS.flatMap((method) =>
  ROUTES.flatMap((route) => STATUSES.map((status) => ({ method, route, status }))),
);

export const LABEL_NAMES = ['method', 'route', 'status'];
