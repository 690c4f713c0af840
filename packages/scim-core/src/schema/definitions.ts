/**
 * The schemas Roster serves (RFC 7643 §4 and §8.7.1), as data. Everything that needs attribute
 * metadata (canonical names, caseExact, mutability, returned) reads it from here.
 */
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'subAttributes'>>;

function attr(name: string, type: AttributeDefinition['type'], options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description: options.description ?? name,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const str = (name: string, options: Options = {}) => attr(name, 'string', options);

function complex(
  name: string,
  subAttributes: AttributeDefinition[],
  options: Options = {},
): AttributeDefinition {
  return { ...attr(name, 'complex', options), subAttributes };
}

/** A multi-valued complex attribute with the RFC's usual value/display/type/primary shape. */
function multi(
  name: string,
  description: string,
  types: string[],
  value: AttributeDefinition = str('value', { description: `The ${name} value.` }),
  extra: AttributeDefinition[] = [],
): AttributeDefinition {
  return complex(
    name,
    [
      value,
      str('display', { description: 'A human-readable name, primarily used for display purposes.' }),
      str('type', { description: "A label indicating the attribute's function.", canonicalValues: types }),
      attr('primary', 'boolean', { description: 'Indicates the primary or preferred attribute value.' }),
      ...extra,
    ],
    { multiValued: true, description },
  );
}

const name = complex(
  'name',
  [
    str('formatted', { description: 'The full name, formatted for display.' }),
    str('familyName', { description: 'The family name (last name).' }),
    str('givenName', { description: 'The given name (first name).' }),
    str('middleName', { description: 'The middle name(s).' }),
    str('honorificPrefix', { description: 'The honorific prefix(es), e.g. "Ms.".' }),
    str('honorificSuffix', { description: 'The honorific suffix(es), e.g. "III".' }),
  ],
  { description: "The components of the user's real name." },
);

const address = complex(
  'addresses',
  [
    str('formatted', { description: 'The full mailing address, formatted for display.' }),
    str('streetAddress', { description: 'The full street address component.' }),
    str('locality', { description: 'The city or locality component.' }),
    str('region', { description: 'The state or region component.' }),
    str('postalCode', { description: 'The zip code or postal code component.' }),
    str('country', { description: 'The country name component (ISO 3166-1 alpha-2).' }),
    str('type', {
      description: 'A label indicating the address function.',
      canonicalValues: ['work', 'home', 'other'],
    }),
    attr('primary', 'boolean', { description: 'Indicates the primary address.' }),
  ],
  { multiValued: true, description: 'A physical mailing address for this user.' },
);

const groupsOfUser = complex(
  'groups',
  [
    str('value', { description: 'The id of the group.', mutability: 'readOnly' }),
    attr('$ref', 'reference', {
      description: 'The URI of the group.',
      mutability: 'readOnly',
      referenceTypes: ['Group'],
    }),
    str('display', { description: 'The display name of the group.', mutability: 'readOnly' }),
    str('type', {
      description: 'Whether membership is direct or indirect.',
      mutability: 'readOnly',
      canonicalValues: ['direct', 'indirect'],
    }),
  ],
  { multiValued: true, mutability: 'readOnly', description: 'The groups the user belongs to (read-only).' },
);

export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', {
      required: true,
      uniqueness: 'server',
      description: 'Unique identifier for the user, normally the email address. Compared case-insensitively.',
    }),
    name,
    str('displayName', { description: 'The name of the user, suitable for display.' }),
    str('nickName', { description: 'The casual way to address the user.' }),
    attr('profileUrl', 'reference', {
      description: "A URI to the user's online profile.",
      referenceTypes: ['external'],
    }),
    str('title', { description: 'The user\'s title, such as "Vice President".' }),
    str('userType', { description: 'The relationship between the organization and the user.' }),
    str('preferredLanguage', { description: "The user's preferred written or spoken language." }),
    str('locale', { description: "The user's default location for localization." }),
    str('timezone', { description: "The user's time zone in IANA format." }),
    attr('active', 'boolean', { description: "The user's administrative status." }),
    str('password', {
      mutability: 'writeOnly',
      returned: 'never',
      description: 'Accepted for compatibility, never stored: members sign in through SSO.',
    }),
    multi('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multi('phoneNumbers', 'Phone numbers for the user.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multi('ims', 'Instant messaging addresses for the user.', [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]),
    multi(
      'photos',
      'URLs of photos of the user.',
      ['photo', 'thumbnail'],
      attr('value', 'reference', {
        description: 'URL of a photo of the user.',
        referenceTypes: ['external'],
      }),
    ),
    address,
    groupsOfUser,
    multi('entitlements', 'A list of entitlements for the user.', []),
    multi('roles', 'A list of roles for the user; Roster reads "basic" and "manager".', []),
    multi('x509Certificates', 'A list of certificates issued to the user.', [], attr('value', 'binary')),
  ],
};

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', { description: 'Numeric or alphanumeric identifier assigned to a person.' }),
    str('costCenter', { description: 'Identifies the name of a cost center.' }),
    str('organization', { description: 'Identifies the name of an organization.' }),
    str('division', { description: 'Identifies the name of a division.' }),
    str('department', { description: 'Identifies the name of a department.' }),
    complex(
      'manager',
      [
        str('value', { description: 'The id of the SCIM resource representing the manager.' }),
        attr('$ref', 'reference', { description: 'The URI of the manager.', referenceTypes: ['User'] }),
        str('displayName', { description: 'The displayName of the manager.', mutability: 'readOnly' }),
      ],
      { description: "The user's manager." },
    ),
  ],
};

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', {
      required: true,
      uniqueness: 'server',
      description: 'A human-readable name for the group.',
    }),
    complex(
      'members',
      [
        str('value', { description: 'The id of the member.', mutability: 'immutable' }),
        attr('$ref', 'reference', {
          description: 'The URI of the member.',
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        str('display', { description: 'The display name of the member.', mutability: 'readOnly' }),
        str('type', {
          description: 'The type of the member.',
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true, description: 'A list of members of the group.' },
    ),
  ],
};

/** Attributes every resource has (RFC 7643 §3.1); they are not part of any schema's attribute list. */
export const commonAttributes: AttributeDefinition[] = [
  str('id', {
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
    caseExact: true,
    description: 'Unique identifier.',
  }),
  str('externalId', {
    caseExact: true,
    description: 'Identifier of the resource in the provisioning client.',
  }),
  complex(
    'meta',
    [
      str('resourceType', { mutability: 'readOnly', caseExact: true }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly', caseExact: true }),
      str('version', { mutability: 'readOnly', caseExact: true }),
    ],
    { mutability: 'readOnly', description: 'Resource metadata.' },
  ),
];

export const userResourceType: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  schemaExtensions: [{ schema: enterpriseUserSchema, required: false }],
};

export const groupResourceType: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  schemaExtensions: [],
};
