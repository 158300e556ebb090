import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param.decorator';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryListResponse,
  DeliveryResponse,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookDto,
  WebhookListResponse,
  WebhookResponse,
  WebhookSecretResponse,
} from './dto/webhook.dto';
import { WEBHOOK_DOCS } from './webhooks.docs';
import { WebhooksService } from './webhooks.service';

/** Every webhook route is for admins: viewers and operators neither see nor manage endpoints. */
@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.create)
  create(@Auth() auth: AuthContext, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListWebhooksQuery): Promise<WebhookListResponse> {
    return this.webhooks.list(auth, query);
  }

  @Get(':id')
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.get)
  get(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<WebhookResponse> {
    return this.webhooks.get(auth, id);
  }

  @Patch(':id')
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.update)
  update(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookResponse> {
    return this.webhooks.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.delete)
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.webhooks.delete(auth, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.rotateSecret)
  rotateSecret(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<WebhookSecretResponse> {
    return this.webhooks.rotateSecret(auth, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.test)
  test(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<DeliveryResponse> {
    return this.webhooks.test(auth, id);
  }

  @Get(':id/deliveries')
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.deliveries)
  deliveries(@Auth() auth: AuthContext, @UuidParam() id: string, @Query() query: ListDeliveriesQuery): Promise<DeliveryListResponse> {
    return this.webhooks.listDeliveries(auth, id, query);
  }

  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(WEBHOOK_DOCS.redeliver)
  redeliver(@Auth() auth: AuthContext, @UuidParam() id: string, @UuidParam('delivery_id') deliveryId: string): Promise<DeliveryResponse> {
    return this.webhooks.redeliver(auth, id, deliveryId);
  }
}
