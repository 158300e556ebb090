import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { CamerasService } from './cameras.service';
import { CameraListResponse, CameraResponse, CreateCameraDto, ListCamerasQuery, UpdateCameraDto } from './dto/camera.dto';
import { CAMERA_DOCS } from './cameras.docs';

@ApiTags('cameras')
@Controller('api/v1/cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(CAMERA_DOCS.create)
  create(@Auth() auth: AuthContext, @Body() dto: CreateCameraDto): Promise<CameraResponse> {
    return this.cameras.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(CAMERA_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListCamerasQuery): Promise<CameraListResponse> {
    return this.cameras.list(auth, query);
  }

  @Get(':id')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(CAMERA_DOCS.get)
  get(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<CameraResponse> {
    return this.cameras.get(auth, id);
  }

  @Patch(':id')
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(CAMERA_DOCS.update)
  update(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: UpdateCameraDto): Promise<CameraResponse> {
    return this.cameras.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(CAMERA_DOCS.delete)
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.cameras.delete(auth, id);
  }
}
