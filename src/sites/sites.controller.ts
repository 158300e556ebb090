import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { CreateSiteDto, ListSitesQuery, SiteListResponse, SiteResponse } from './dto/site.dto';
import { SitesService } from './sites.service';
import { SITE_DOCS } from './sites.docs';

@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(SITE_DOCS.create)
  create(@Auth() auth: AuthContext, @Body() dto: CreateSiteDto): Promise<SiteResponse> {
    return this.sites.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(SITE_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListSitesQuery): Promise<SiteListResponse> {
    return this.sites.list(auth, query);
  }
}
