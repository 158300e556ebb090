import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';
import { IsOmittable } from '../../common/omittable.decorator';
import { IsName } from '../../common/name.decorator';

export class CreateCameraDto {
  @IsName({ example: 'Dock door 3' })
  name: string;

  @ApiProperty({ ...UUID, description: "Must exist in caller's org" })
  @IsUUID('all')
  site_id: string;

  @ApiPropertyOptional({ ...UUID, type: String, nullable: true, description: 'The gateway that records this camera' })
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class UpdateCameraDto {
  @IsName({}, { omittable: true })
  name?: string;

  @ApiPropertyOptional(UUID)
  @IsOmittable()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ ...UUID, type: String, nullable: true, description: 'null unbinds the camera from its gateway' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class ListCamerasQuery extends PaginationQuery {
  @ApiPropertyOptional(UUID)
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional(UUID)
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string;
}

export class CameraResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(NAME) name: string;
  @ApiProperty(UUID) site_id: string;
  @ApiProperty({ ...UUID, nullable: true, type: String }) gateway_id: string | null;
  @ApiProperty(TIMESTAMP) created_at: string;
}

export class CameraListResponse {
  @ApiProperty({ type: [CameraResponse], maxItems: 1000, description: 'At most `limit` cameras' }) data: CameraResponse[];
  @ApiProperty(TOTAL) total: number;
}
