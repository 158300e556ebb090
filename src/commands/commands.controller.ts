import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param.decorator';
import { COMMAND_DOCS } from './commands.docs';
import { CommandsService } from './commands.service';
import { CommandListResponse, CommandResponse, CreateCommandDto, GetCommandQuery, ListCommandsQuery } from './dto/command.dto';

/** Remote commands (v1.3): operators send and cancel, viewers read. */
@ApiTags('commands')
@Controller('api/v1')
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Post('gateways/:id/commands')
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–64 printable ASCII characters: the same request with the same key within 24 h returns the same command', schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[ -~]{1,64}$' } })
  @ApiEndpoint(COMMAND_DOCS.create)
  async create(
    @Auth() auth: AuthContext,
    @UuidParam() id: string,
    @Body() dto: CreateCommandDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResponse> {
    const { command, created } = await this.commands.create(auth, id, dto, idempotencyKey);
    if (!created) res.status(200);
    return command;
  }

  @Get('gateways/:id/commands')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(COMMAND_DOCS.list)
  list(@Auth() auth: AuthContext, @UuidParam() id: string, @Query() query: ListCommandsQuery): Promise<CommandListResponse> {
    return this.commands.list(auth, id, query);
  }

  @Get('commands/:id')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(COMMAND_DOCS.get)
  get(@Auth() auth: AuthContext, @UuidParam() id: string, @Query() query: GetCommandQuery): Promise<CommandResponse> {
    return this.commands.get(auth, id, query.wait_s);
  }

  @Post('commands/:id/cancel')
  @HttpCode(200)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(COMMAND_DOCS.cancel)
  cancel(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<CommandResponse> {
    return this.commands.cancel(auth, id);
  }
}
