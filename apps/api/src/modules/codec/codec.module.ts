import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller.js';

/** `POST /codec/decode` and `/codec/encode`: Temporal's remote codec protocol. */
@Module({ controllers: [CodecController] })
export class CodecModule {}
