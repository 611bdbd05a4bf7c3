// httpErrorFor() on its own: the answers are built from codes and fields, never from messages.
import { describe, expect, it } from 'vitest'
import { httpErrorFor } from '../../src/http/fastify.js'
import { ConfigError, ModelNotFoundError, QuarryError, UniqueViolationError } from '../../src/index.js'
import './support.js'

describe('httpErrorFor', () => {
  it('names unique fields by their JSON names, from the columns the error carries', () => {
    expect(httpErrorFor(new UniqueViolationError({ table: 'http_posts', columns: ['author_id', 'title'] }))?.body.fields).toEqual(['authorId', 'title'])
    // Only an index name (no table or columns): no fields, a generic message.
    expect(httpErrorFor(new UniqueViolationError({ constraint: 'uniq_email' }))?.body).toMatchObject({ fields: [], message: 'A record with the same unique value already exists' })
    expect(httpErrorFor(new UniqueViolationError({ table: 'other', columns: ['some_col'] }))?.body.fields).toEqual(['some_col'])
  })

  it('answers from the code, never the message; other errors are not its business', () => {
    expect(httpErrorFor(new ModelNotFoundError('User', 'secret-id'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'E_MODEL_NOT_FOUND', message: 'User not found' },
    })
    const config = httpErrorFor(new ConfigError('connections.main.write.url', 'postgres://u:pw@h/db is not valid'))
    expect(config?.status).toBe(500)
    expect(JSON.stringify(config)).not.toContain('pw@')
    expect(httpErrorFor(new QuarryError('select * from users where token = 42'))?.body.message).toBe('The database could not complete the request')
    expect(httpErrorFor(new Error('plain'))).toBeUndefined()
    expect(httpErrorFor('a string')).toBeUndefined()
  })
})
