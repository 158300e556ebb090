import { Param } from '@nestjs/common';
import { uuidPipe } from './validation';

/** A uuid path parameter: a non-uuid value is `400 validation_error` on every route. */
export const UuidParam = (name = 'id'): ParameterDecorator => Param(name, uuidPipe(name));
