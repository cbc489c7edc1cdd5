/** The Web Worker entry: hosts the engine behind Comlink. Nothing else runs here. */
import { expose } from 'comlink';
import { createEngineApi } from './engine-api';

expose(createEngineApi());
