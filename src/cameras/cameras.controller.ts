import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { CamerasService } from './cameras.service';
import { CameraListResponse, CameraResponse, CreateCameraDto, ListCamerasQuery, UpdateCameraDto } from './dto/camera.dto';

@ApiTags('cameras')
@Controller('api/v1/cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'cameras_create', summary: 'Create a camera' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateCameraDto): Promise<CameraResponse> {
    return this.cameras.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiOperation({ operationId: 'cameras_list', summary: 'List cameras' })
  list(@Auth() auth: AuthContext, @Query() query: ListCamerasQuery): Promise<CameraListResponse> {
    return this.cameras.list(auth, query);
  }

  @Get(':id')
  @Authenticated({ role: 'viewer' })
  @ApiOperation({ operationId: 'cameras_get', summary: 'Return a single camera' })
  get(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<CameraResponse> {
    return this.cameras.get(auth, id);
  }

  @Patch(':id')
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'cameras_update', summary: 'Rename, move or re-bind a camera' })
  update(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: UpdateCameraDto): Promise<CameraResponse> {
    return this.cameras.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'cameras_delete', summary: 'Delete a camera' })
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.cameras.delete(auth, id);
  }
}
