import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { CreateSiteDto, ListSitesQuery, SiteListResponse, SiteResponse } from './dto/site.dto';
import { SitesService } from './sites.service';

@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiOperation({ operationId: 'sites_create', summary: 'Create a site' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateSiteDto): Promise<SiteResponse> {
    return this.sites.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiOperation({ operationId: 'sites_list', summary: 'List the sites the key can see' })
  list(@Auth() auth: AuthContext, @Query() query: ListSitesQuery): Promise<SiteListResponse> {
    return this.sites.list(auth, query);
  }
}
