// The live UI bound to a LiveSession: App drawn with what the session last published (the capture's state, the
// clock, a status or error line). The session publishes; React re-renders this component, nothing pushes trees.
import { useSyncExternalStore } from 'react';
import { App, type AppProps } from './app.js';
import type { ViewStore } from './view-store.js';

/** What LiveSession publishes for each frame. */
export type LiveView = Required<Pick<AppProps, 'state' | 'clockMs' | 'status' | 'error'>>;

export type LiveAppProps = Omit<AppProps, keyof LiveView> & { view: ViewStore<LiveView> };

export function LiveApp({ view, ...rest }: LiveAppProps) {
  const v = useSyncExternalStore(view.subscribe, view.get);
  return <App {...rest} {...v} />;
}
