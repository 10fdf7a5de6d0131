/**
 * The shared notes of one document (room `printers:<id>`): a Y.Text kept on this device
 * with y-indexeddb (works offline) and synced through y-websocket with ticketed sockets.
 */
import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readJson, writeJson } from '../../../localJson.js';
import { useFarmApi } from '../api/farmApi.js';
import { isObject } from '../api/parse.js';
import { ticketSocketClass, type TicketAnswer } from './ticketSocket.js';

export type NotesConnection = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface YNotes {
  text: Y.Text | null;
  /** Loaded from this device's copy. */
  loaded: boolean;
  connection: NotesConnection;
  readOnly: boolean;
}

function parseTicket(body: unknown): TicketAnswer {
  if (!isObject(body) || typeof body.ticket !== 'string') throw new Error('the server sent no ticket');
  return { ticket: body.ticket, readOnly: body.readOnly === true };
}

export function useYNotes(room: string, userId: string, assumeReadOnly: boolean): YNotes {
  const api = useFarmApi();
  const readOnlyKey = `fleetsync.notesReadOnly.${userId}.${room}`;
  const [state, setState] = useState<YNotes & { room: string }>({
    room,
    text: null,
    loaded: false,
    connection: 'connecting',
    readOnly: assumeReadOnly,
  });

  useEffect(() => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    const cached = readJson(readOnlyKey);
    const patch = (p: Partial<YNotes>) =>
      setState((s) =>
        s.room === room
          ? { ...s, ...p }
          : { room, text, loaded: false, connection: 'connecting', readOnly: assumeReadOnly, ...p },
      );
    patch({ text, loaded: false, connection: 'connecting', readOnly: typeof cached === 'boolean' ? cached : assumeReadOnly });

    const local = new IndexeddbPersistence(`fleetsync-notes-${userId}-${room}`, doc);
    void local.whenSynced.then(() => patch({ loaded: true }));
    const fetchTicket = async (r: string) => parseTicket(await api.post('/api/yjs/tickets', { room: r }));
    const onTicket = (t: TicketAnswer) => {
      writeJson(readOnlyKey, t.readOnly);
      patch({ readOnly: t.readOnly });
    };
    const scheme = globalThis.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const provider = new WebsocketProvider(`${scheme}//${globalThis.location.host}/yjs`, room, doc, {
      WebSocketPolyfill: ticketSocketClass(fetchTicket, onTicket),
      maxBackoffTime: 30_000,
    });
    provider.on('status', ({ status }) => patch({ connection: status }));
    provider.on('closed', () => patch({ connection: 'refused' }));
    return () => {
      provider.destroy();
      void local.destroy();
      doc.destroy();
    };
  }, [api, room, userId, readOnlyKey, assumeReadOnly]);

  return state.room === room ? state : { text: null, loaded: false, connection: 'connecting', readOnly: assumeReadOnly };
}
