import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.dto';
import { trim } from '../../sites/dto/site.dto';

export class CreateCameraDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Dock door 3' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ format: 'uuid', description: "Must exist in caller's org" })
  @IsUUID('all')
  site_id: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The gateway that records this camera' })
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class UpdateCameraDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null unbinds the camera from its gateway' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class ListCamerasQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string;
}

export class CameraResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) site_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gateway_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CameraListResponse {
  @ApiProperty({ type: [CameraResponse] }) data: CameraResponse[];
  @ApiProperty() total: number;
}
